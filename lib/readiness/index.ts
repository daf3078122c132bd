export { checkReadiness, type Finding, type ReadinessReport, type Severity } from './check.js';

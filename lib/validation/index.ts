export { type ValidationCheck, type ValidationResult, validateHop } from './validate.js';

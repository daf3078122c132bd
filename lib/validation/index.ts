export { validationNeeds } from './needs.js';
export { type ValidationCheck, type ValidationResult, validateHop } from './validate.js';

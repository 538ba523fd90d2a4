export { checkOptions, mergeSpecs, nested } from './check-options.js';
export * from './core-option-specs.js';
export { closestName } from './did-you-mean.js';
export * from './option-rules.js';

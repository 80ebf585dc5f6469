// The engine: compile policies into a bundle, load a bundle into a fast evaluator.
export { compileBundle, type CompileOptions } from './compile-bundle';
export { loadBundle, type LoadOptions } from './load';
export { requestNamespace } from './namespace';
export { templateFields } from './template';

// The context paths a reason template reads. Same syntax as the engine's templates
// (src/engine/template.ts, which keeps its pattern private): `{{ path }}`, spaces allowed.
const PLACEHOLDER = /\{\{\s*([^{}\s]+)\s*\}\}/g;

export function placeholdersOf(template: unknown): string[] {
  return typeof template === 'string' ? [...template.matchAll(PLACEHOLDER)].map((m) => m[1]) : [];
}

// Spec §1 scoping: the request's namespace is metadata.namespace if that is a non-empty string,
// else project.environment if that is, else none. One definition for the evaluator and for
// everything else that scopes by namespace (the proxy's budgets), so the two cannot drift apart.
import { getterFor } from './path';

const metadataNamespace = getterFor('metadata.namespace');
const projectEnvironment = getterFor('project.environment');

export function requestNamespace(context: unknown): string | undefined {
  const ns = metadataNamespace(context);
  if (typeof ns === 'string' && ns !== '') return ns;
  const env = projectEnvironment(context);
  return typeof env === 'string' && env !== '' ? env : undefined;
}

// vitest globalSetup of the workers project: starts the fake provider upstream in Node and hands
// its port to the worker's bindings (vitest.config.ts reads it with inject('fakeUpstreamPort')).
import type { TestProject } from 'vitest/node';
import { startFakeUpstream } from './fake-upstream';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fake = await startFakeUpstream();
  project.provide('fakeUpstreamPort', fake.port);
  return () => fake.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    fakeUpstreamPort: number;
  }
}

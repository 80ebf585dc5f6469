// vitest globalSetup of the workers project: the fake stage-two classifier (fake-classifier.ts),
// its port handed to the worker's bindings as FAKE_CLASSIFIER_URL (vitest.config.ts).
import type { TestProject } from 'vitest/node';
import { startFakeClassifier } from './fake-classifier';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const fake = await startFakeClassifier();
  project.provide('fakeClassifierPort', fake.port);
  return () => fake.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    fakeClassifierPort: number;
  }
}

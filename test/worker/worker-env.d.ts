// The bindings the worker tests see: the worker's own (the generated Cloudflare.Env), plus the
// test-only ones vitest.config.ts sets.
declare global {
  namespace Cloudflare {
    interface Env {
      /** base64url PKCS#8 of the private half of BUNDLE_PUBLIC_KEY, generated per test run. */
      TEST_BUNDLE_PRIVATE_KEY: string;
      /** Base URL of the fake stage-two classifier (test/worker/support/fake-classifier.ts). */
      FAKE_CLASSIFIER_URL: string;
    }
  }
}

export {};

// Workers tests' global setup: the worker serves the Studio from static assets (wrangler.toml
// [assets] dist-studio/), so they are built before the worker starts.
// @ts-expect-error: a plain .mjs script without types
import { buildStudio } from '../../../scripts/build-studio.mjs';

export default async function setup(): Promise<void> {
  await buildStudio({ quiet: true });
}

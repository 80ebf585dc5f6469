// Benchmarks measure the library as users get it: bundled by esbuild (as `npm run build` and wrangler
// do), not through tsx's on-the-fly transform, which wraps every named closure in a keepNames helper.
import { build } from 'esbuild';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Library = typeof import('../src/index');

export async function loadLibrary(): Promise<Library> {
  const outfile = fileURLToPath(new URL('./out/library.mjs', import.meta.url));
  await build({
    entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
    outfile, bundle: true, format: 'esm', platform: 'neutral', target: 'es2022',
    mainFields: ['module', 'main'], logLevel: 'warning',
  });
  return (await import(pathToFileURL(outfile).href)) as Library;
}

// `npm run build`: dist/index.js (the library) and dist/cli.js (the CLI), plus .d.ts for the library.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
const common = { bundle: true, format: 'esm', platform: 'neutral', target: 'es2022', packages: 'external', sourcemap: true, logLevel: 'warning' };
await build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js' });
await build({ ...common, platform: 'node', entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' });
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });

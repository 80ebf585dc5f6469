// `npm run policy:publish -- <dir> --target local|remote ...`: see PUBLISH_USAGE in src/publish/cli.ts.
import { runPublishCli } from '../src/publish/cli';

process.exitCode = await runPublishCli(process.argv.slice(2));

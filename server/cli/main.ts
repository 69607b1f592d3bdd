import { runCli } from './run.js';

// `npm run cli -- <command>`: the command line on the process's own streams and environment (run.ts).
runCli(process.argv.slice(2)).then((code) => process.exit(code));

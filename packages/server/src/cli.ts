/**
 * The `roost` entry (bin/roost.js loads it): runs the command line and exits with its status, except after
 * `serve`, whose server keeps the process alive until a signal stops it (cli/main.ts).
 */
import { runCli } from './cli/main.js';

const argv = process.argv.slice(2);
const code = await runCli(argv);
// Exit at once (idle keep-alive sockets of admin API calls must not hold a finished command).
if (code !== 0 || argv[0] !== 'serve' || argv.includes('--help') || argv.includes('-h')) process.exit(code);

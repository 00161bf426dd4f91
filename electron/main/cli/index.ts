import { registerAlertCommands } from './commands/alerts';
import { createProgram } from './program';
import { runCli } from './run-cli';

const program = createProgram();
registerAlertCommands(program);
// Each command module registers itself here; see electron/main/cli/commands/.

await runCli(program, process.argv);

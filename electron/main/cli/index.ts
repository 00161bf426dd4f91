import { registerAlertCommands } from './commands/alerts';
import { registerCollectCommand } from './commands/collect';
import { registerDemoCommand } from './commands/demo';
import { registerReportCommand } from './commands/report';
import { registerRunCommand } from './commands/run';
import { registerServeCommand } from './commands/serve';
import { registerStatusCommand } from './commands/status';
import { registerStoreCommands } from './commands/store';
import { registerTargetCommands } from './commands/targets';
import { createProgram } from './program';
import { runCli } from './run-cli';

const program = createProgram();
registerCollectCommand(program);
registerRunCommand(program);
registerTargetCommands(program);
registerStatusCommand(program);
registerAlertCommands(program);
registerReportCommand(program);
registerDemoCommand(program);
registerServeCommand(program);
registerStoreCommands(program);

await runCli(program, process.argv);

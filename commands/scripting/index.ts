/** Scripting commands: EVAL*, FCALL*, SCRIPT, FUNCTION. */
import type { CommandSpec } from '../../lib/command.js';
import { evalCmd, evalsha, evalRo, evalshaRo } from './eval.js';
import { fcall, fcallRo } from './fcall.js';
import { script } from './script.js';
import { functionCmd } from './function.js';

export const scriptingCommands: CommandSpec[] = [evalCmd, evalsha, evalRo, evalshaRo, fcall, fcallRo, script, functionCmd];

/**
 * The `rxsecrets` program: global options (output mode and configuration) and one subcommand per file.
 * @module
 */
import { Command, CommanderError, Option } from '@commander-js/extra-typings';
import { completionCommand } from './commands/completion.js';
import { doctorCommand } from './commands/doctor.js';
import { emulatorCommand } from './commands/emulator.js';
import { exportCommand } from './commands/export.js';
import { getCommand } from './commands/get.js';
import { injectCommand } from './commands/inject.js';
import { lsCommand } from './commands/ls.js';
import { rmCommand } from './commands/rm.js';
import { runCommand } from './commands/run.js';
import { setCommand } from './commands/set.js';
import { versionsCommand } from './commands/versions.js';
import { watchCommand } from './commands/watch.js';

const HELP_AFTER = `
Refs: scheme:name[@version][#json.key.path], e.g. aws-sm:prod/db#password, aws-ssm:/prod/api-key,
      azure-kv:db-password, secret-service:default?service=myapp. Results go to stdout; progress, prompts
      and warnings to stderr. Values are never taken from the command line.

Configuration (first wins): flags, RXSECRETS_* variables, rxsecrets.config.json (found upward from the working
directory, or --config), then each SDK's defaults (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL…).

Exit codes: 0 ok, 64 usage or bad ref, 65 data (decode, validation, conflict, disabled), 66 not found,
69 backend unavailable, 75 temporary (throttled, timeout), 77 denied / locked / prompt dismissed,
78 configuration missing, 130 interrupted, 1 anything else.`;

/** The exit code of a usage error of `run` (GNU env: rxsecrets itself failed before the command started). */
export const RUN_USAGE_EXIT = 125;

function runUsageError(error: CommanderError): never {
  if (error.exitCode === 0) throw error;
  throw new CommanderError(RUN_USAGE_EXIT, error.code, error.message);
}

/** Builds the program (a fresh one per call, for tests). */
export function buildProgram() {
  const program = new Command('rxsecrets')
    .description('read, write, list and watch secrets in AWS, Azure Key Vault and the Secret Service')
    .version('0.1.0')
    .option('--json', 'print one JSON document (errors: one JSON object on stderr)')
    .option('--ndjson', 'print one JSON document per line as results stream')
    .option('--config <file>', 'the config file (default: rxsecrets.config.json found upward; env RXSECRETS_CONFIG)')
    .option('--region <region>', 'AWS region (env RXSECRETS_AWS_REGION, then the SDK default: AWS_REGION, profile)')
    .option('--endpoint-url <url>', 'AWS endpoint (env RXSECRETS_AWS_ENDPOINT_URL, then AWS_ENDPOINT_URL)')
    .option('--vault-url <url>', 'the vault of azure-kv: refs (env RXSECRETS_AZURE_VAULT_URL)')
    .addOption(
      new Option('--azure-credential <kind>', 'Key Vault credential (env RXSECRETS_AZURE_CREDENTIAL)').choices([
        'default',
        'emulator',
      ] as const),
    )
    .option('--azure-ca-file <pem>', 'extra CA certificates for Key Vault (env RXSECRETS_AZURE_CA_FILE)')
    .option('--non-interactive', 'fail instead of prompting to unlock a keyring (env RXSECRETS_NON_INTERACTIVE)')
    .addHelpText('after', HELP_AFTER)
    .showHelpAfterError('(rxsecrets --help for usage)')
    .exitOverride();
  for (const command of [
    getCommand(),
    lsCommand(),
    setCommand(),
    rmCommand(),
    versionsCommand(),
    exportCommand(),
    runCommand(),
    watchCommand(),
    injectCommand(),
    emulatorCommand(),
    completionCommand(),
    doctorCommand(),
  ]) {
    program.addCommand(command.exitOverride(command.name() === 'run' ? runUsageError : undefined) as never);
  }
  return program;
}

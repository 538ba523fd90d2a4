/**
 * Starts the AWS emulator from the command line and prints its endpoint; stops on SIGINT/SIGTERM.
 *
 * Usage: `tsx src/emulators/aws/cli.ts [--port N] [--host H] [--region R]`
 * (defaults: a free port on 127.0.0.1, us-east-1). Point clients at it with
 * `AWS_ENDPOINT_URL=<endpoint>` and any static credentials.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { startAwsEmulator } from './emulator.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    region: { type: 'string', default: 'us-east-1' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`invalid --port: ${values.port}\n`);
  process.exit(2);
}

const emulator = await startAwsEmulator({ port, host: values.host, region: values.region });
process.stdout.write(`AWS emulator (Parameter Store, Secrets Manager) listening on ${emulator.endpoint}\n`);
process.stdout.write(`  export AWS_ENDPOINT_URL=${emulator.endpoint} AWS_REGION=${emulator.region}\n`);

const shutdown = () => {
  void emulator.stop().then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);

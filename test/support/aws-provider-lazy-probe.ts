// Imported by a child process in the lazy-loading test: loads rxsecrets/aws and creates both providers, no calls.
import { createSecrets } from '../../src/index.js';
import { parameterStore, secretsManager } from '../../src/providers/aws/index.js';

const secrets = createSecrets({
  providers: [parameterStore({ region: 'us-east-1' }), secretsManager({ region: 'us-east-1' })],
});
await secrets.close();

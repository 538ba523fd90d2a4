// Run by the lazy-loading test through list-module-loads.mjs: imports rxsecrets/secret-service and creates a
// provider and a client over it, making no call; dbus-next must not load.
import { createSecrets } from '../../src/index.js';
import { secretService } from '../../src/providers/secret-service/index.js';

const secrets = createSecrets({ providers: [secretService({ bus: 'unix:path=/nonexistent/rxss-bus' })] });
await secrets.close();

// The Secret Service provider's contract (./contracts) against KWallet (kwalletd5 5.103).
import { registerSecretServiceContract } from './contracts/index.js';

registerSecretServiceContract('kwallet');

// The Secret Service provider's contract (./contracts) against KeePassXC 2.7.4.
import { registerSecretServiceContract } from './contracts/index.js';

registerSecretServiceContract('keepassxc');

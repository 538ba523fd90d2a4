// The Secret Service provider's contract (./contracts) against gnome-keyring.
import { registerSecretServiceContract } from './contracts/index.js';

registerSecretServiceContract('gnome-keyring');

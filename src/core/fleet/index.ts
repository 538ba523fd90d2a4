export type { Fleet, FleetEvent, FleetGroup, FleetMessage, FleetTable } from './fleet.js';
export { FleetMember, type FleetMemberOptions, type FleetWatcher } from './fleet-member.js';
export { fleetProvider } from './fleet-provider.js';
export { TableReader, type TableSnapshot } from './table-reader.js';

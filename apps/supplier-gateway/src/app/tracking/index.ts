export { KNOWN_CARRIERS, type KnownCarrier, carrierKey, resolveCarrier } from './carriers';
export type { TrackingFormat } from './formats';
export { type InvalidTrackingReason, normaliseTrackingNumber, type TrackingValidation, validateTracking } from './validate-tracking';

import { element, optionalElement, type X12Segment } from './segment';

/** TD5 as the gateway uses it; every field is optional because partners fill different ones. */
export type CarrierRouting = {
  /** TD503 when TD502 is '2' (Standard Carrier Alpha Code). */
  readonly scac?: string;
  /** TD502/TD503 when the carrier is identified some other way (e.g. '92' assigned by buyer). */
  readonly idQualifier?: string;
  readonly idCode?: string;
  /** TD504, e.g. 'M' motor, 'U' private parcel service. */
  readonly transportationMethod?: string;
  /** TD505: free text, usually the carrier's name or routing instructions ("UPS GROUND"). */
  readonly routing?: string;
  /** TD512, e.g. 'ND' next day air, 'SG' standard ground. */
  readonly serviceLevel?: string;
};

export function readTd5(td5: X12Segment): CarrierRouting {
  const qualifier = element(td5, 2);
  const code = optionalElement(td5, 3);
  const transportationMethod = optionalElement(td5, 4);
  const routing = optionalElement(td5, 5);
  const serviceLevel = optionalElement(td5, 12);
  const identity =
    code === undefined ? {} : qualifier === '2' ? { scac: code } : qualifier === '' ? { idCode: code } : { idQualifier: qualifier, idCode: code };
  return {
    ...identity,
    ...(transportationMethod === undefined ? {} : { transportationMethod }),
    ...(routing === undefined ? {} : { routing }),
    ...(serviceLevel === undefined ? {} : { serviceLevel }),
  };
}

/** Fills fields still missing from several TD5 segments (one for the SCAC, one for the service level is common). */
export function mergeCarrier(current: CarrierRouting | undefined, next: CarrierRouting): CarrierRouting {
  return { ...next, ...(current ?? {}) };
}

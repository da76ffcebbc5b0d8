import { optional } from './optional-field';
import { element, optionalElement, type X12Segment } from './segment';

/** An N1 loop: who a party is and, for ship-to, where the parcel goes. */
export type Party = {
  /** N101: ST ship to, BT bill to, BY buyer, SF ship from, VN vendor… */
  readonly entity: string;
  readonly name?: string;
  /** N103/N104: how the party is identified (92 assigned by buyer, 9 DUNS+4, …). */
  readonly idQualifier?: string;
  readonly id?: string;
  /** N2 names (company, attention). */
  readonly additionalNames: readonly string[];
  /** N301, N302 and any further N3 segments, in order. */
  readonly addressLines: readonly string[];
  readonly city?: string;
  readonly state?: string;
  readonly postalCode?: string;
  readonly country?: string;
  /** From PER: TE telephone, EM e-mail. */
  readonly phone?: string;
  readonly email?: string;
};

type Draft = {
  n1: X12Segment;
  names: string[];
  lines: string[];
  n4?: X12Segment;
  phone?: string;
  email?: string;
};

/** The N1 loops in `segments`, each with the N2/N3/N4/PER segments that follow it. */
export function readParties(segments: readonly X12Segment[]): readonly Party[] {
  const drafts: Draft[] = [];
  for (const segment of segments) {
    if (segment.tag === 'N1') {
      drafts.push({ n1: segment, names: [], lines: [] });
      continue;
    }
    const current = drafts.at(-1);
    if (current === undefined) continue;
    switch (segment.tag) {
      case 'N2':
        current.names.push(...present(segment, 1, 2));
        break;
      case 'N3':
        current.lines.push(...present(segment, 1, 2));
        break;
      case 'N4':
        current.n4 ??= segment;
        break;
      case 'PER':
        readContacts(segment, current);
        break;
      default:
        break;
    }
  }
  return drafts.map(toParty);
}

function toParty(draft: Draft): Party {
  const { n1, n4 } = draft;
  return {
    entity: element(n1, 1),
    ...optional('name', optionalElement(n1, 2)),
    ...optional('idQualifier', optionalElement(n1, 3)),
    ...optional('id', optionalElement(n1, 4)),
    additionalNames: draft.names,
    addressLines: draft.lines,
    ...optional('city', n4 === undefined ? undefined : optionalElement(n4, 1)),
    ...optional('state', n4 === undefined ? undefined : optionalElement(n4, 2)),
    ...optional('postalCode', n4 === undefined ? undefined : optionalElement(n4, 3)),
    ...optional('country', n4 === undefined ? undefined : optionalElement(n4, 4)),
    ...optional('phone', draft.phone),
    ...optional('email', draft.email),
  };
}

/** PER03/04, PER05/06, PER07/08 are (qualifier, number) pairs. */
function readContacts(per: X12Segment, draft: Draft): void {
  for (const position of [3, 5, 7]) {
    const qualifier = element(per, position);
    const value = optionalElement(per, position + 1);
    if (value === undefined) continue;
    if (qualifier === 'TE') draft.phone ??= value;
    if (qualifier === 'EM') draft.email ??= value;
  }
}

function present(segment: X12Segment, ...positions: readonly number[]): string[] {
  return positions.map((position) => element(segment, position)).filter((value) => value !== '');
}

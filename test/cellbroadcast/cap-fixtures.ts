/** CAP 1.2 messages for the Alert -> Update -> Cancel sequence (one flood, three messages). */
export interface CapMessage {
  identifier: string;
  msgType: 'Alert' | 'Update' | 'Cancel';
  references?: string[];
  status?: string;
  severity?: string;
  urgency?: string;
  certainty?: string;
  event?: string;
  headline?: string;
  instruction?: string;
  expires?: string;
  areaXml?: string;
}

const SENDER = 'emergency@city.example';
const SENT = '2026-11-26T06:00:00+00:00';

export const RIVER_AREA_XML = `<area><areaDesc>River district</areaDesc><polygon>51.50,-0.13 51.51,-0.12 51.50,-0.11 51.49,-0.12 51.50,-0.13</polygon></area>`;

/** A CAP alert as XML; references name earlier identifiers of the same sender. */
export function capXml(m: CapMessage): string {
  const references = m.references?.length ? `<references>${m.references.map((id) => `${SENDER},${id},${SENT}`).join(' ')}</references>` : '';
  const info =
    m.msgType === 'Cancel'
      ? ''
      : `<info>
    <language>en-GB</language><category>Met</category><event>${m.event ?? 'Flash flood'}</event>
    <urgency>${m.urgency ?? 'Immediate'}</urgency><severity>${m.severity ?? 'Extreme'}</severity><certainty>${m.certainty ?? 'Observed'}</certainty>
    ${m.expires ? `<expires>${m.expires}</expires>` : ''}
    <headline>${m.headline ?? 'Flash flood warning for the river district'}</headline>
    <instruction>${m.instruction ?? 'Move to higher ground now.'}</instruction>
    ${m.areaXml ?? RIVER_AREA_XML}
  </info>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>${m.identifier}</identifier><sender>${SENDER}</sender><sent>${SENT}</sent>
  <status>${m.status ?? 'Actual'}</status><msgType>${m.msgType}</msgType><scope>Public</scope>${references}
  ${info}
</alert>`;
}

export * from './custom-tlv';
export * from './inbound-tlv';
export { formatTag, tlvName } from './tlv-tags';

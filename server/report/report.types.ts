/** The report document's types are the contract's (contract/report.ts): the client renders what the server builds. */
export * from '../../contract/report.js';

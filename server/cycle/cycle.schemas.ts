import { BoardQuerySchema } from '../../contract/schemas/cycle.js';
import { csvShape, toCsvRequest } from '../csv/csv-request.js';

/** GET /cycle/board on the server: the contract's query, and the parameters every CSV download takes. */
export const BoardRequestSchema = BoardQuerySchema.extend(csvShape).transform(({ format, bom, lang, formatted, ...query }) => ({
  ...query,
  output: toCsvRequest({ format, bom, lang, formatted }),
}));

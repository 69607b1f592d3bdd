/** The demo mode's schemas are the contract's (contract/schemas/demo.ts). */
export {
  DemoStatusSchema,
  type DemoStatus as DemoStatusAnswer,
  LeaveDemoBodySchema,
  LeaveDemoResultSchema,
} from '../../contract/schemas/demo.js';

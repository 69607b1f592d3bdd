/** The sign-in schemas are the contract's (contract/schemas/auth.ts). */
export {
  EmailSchema,
  type LoginBody,
  LoginBodySchema,
  LoginOptionsSchema,
  type Me,
  MePatchSchema,
  MeSchema,
} from '../../contract/schemas/auth.js';

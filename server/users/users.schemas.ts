/** The accounts' schemas are the contract's (contract/schemas/users.ts): the client sends what they check. */
export {
  NewUserSchema,
  type NewUserInput,
  PasswordSchema,
  RoleSchema,
  stewardProblem,
  type User,
  UserIdParamsSchema,
  type UserPatch,
  UserPatchSchema,
  UserSchema,
} from '../../contract/schemas/users.js';

import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { TooManyRequests } from '../http/problems.js';

export interface LoginLimits {
  windowMs: number;
  /** Attempts from one address within the window. */
  perAddress: number;
  /** Failed attempts on one account from one address within the window. */
  perAccount: number;
  /**
   * Failed attempts on one account from anywhere: higher, so that someone who knows an email
   * cannot lock its owner out from another address, while a spread-out guess still stops.
   */
  perAccountAnywhere: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  windowMs: 15 * 60 * 1000,
  perAddress: 30,
  perAccount: 8,
  perAccountAnywhere: 100,
};

const accountOf = (body: unknown): string => {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 254) : '(none)';
};

function tooMany(what: string): RequestHandler {
  return (req, _res, next) => {
    const reset = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
    const seconds = reset ? (reset.getTime() - Date.now()) / 1000 : 60;
    next(new TooManyRequests(`Too many sign-in attempts ${what}; try again later.`, seconds));
  };
}

/** Limiters in front of the login, counting failures only: per client address, and per account, from one address and from all. */
export function loginLimiters(limits: LoginLimits): RequestHandler[] {
  return [
    rateLimit({
      windowMs: limits.windowMs,
      limit: limits.perAddress,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      keyGenerator: (req) => `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`,
      // Failures only: a campus behind one address signs in hundreds of people a morning.
      skipSuccessfulRequests: true,
      handler: tooMany('from this address'),
    }),
    rateLimit({
      windowMs: limits.windowMs,
      limit: limits.perAccount,
      standardHeaders: false,
      legacyHeaders: false,
      skipSuccessfulRequests: true,
      keyGenerator: (req) => `account:${accountOf(req.body)}|${ipKeyGenerator(req.ip ?? 'unknown')}`,
      handler: tooMany('for this account'),
    }),
    rateLimit({
      windowMs: limits.windowMs,
      limit: limits.perAccountAnywhere,
      standardHeaders: false,
      legacyHeaders: false,
      skipSuccessfulRequests: true,
      keyGenerator: (req) => `account:${accountOf(req.body)}`,
      handler: tooMany('for this account'),
    }),
  ];
}

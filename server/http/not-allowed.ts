import type { RequestHandler } from 'express';
import { HttpProblem, NotFound, said } from '../lib/problems.js';

/** The order methods are listed in an `Allow` header. */
const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

const methodNotAllowed = (method: string, path: string, allow: readonly string[]): HttpProblem =>
  new HttpProblem(405, 'Method Not Allowed', said('method_not_allowed', { method, path, allow }), [], {
    Allow: allow.join(', '),
  });

/** The methods a path takes, by the routes' Express paths (`/records/:kind/:id`); none for a path no route has. */
export function allowedMethods(routes: readonly { method: string; path: string }[], path: string): string[] {
  const given = (path.length > 1 ? path.replace(/\/$/, '') : path).split('/');
  const methods = new Set<string>();
  for (const route of routes) {
    const segments = route.path.split('/');
    const same =
      segments.length === given.length &&
      segments.every((segment, i) =>
        segment.startsWith(':') ? given[i] !== '' : segment.toLowerCase() === given[i]!.toLowerCase(),
      );
    if (!same) continue;
    const method = route.method.toUpperCase();
    methods.add(method);
    // Express answers HEAD by the GET route.
    if (method === 'GET') methods.add('HEAD');
  }
  return [...methods].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
}

/**
 * After the API's routes: a path a route has, asked by another method, is a 405 naming the
 * methods it takes (`Allow`); any other path is left to the 404.
 */
export function apiMethodNotAllowed(routes: readonly { method: string; path: string }[]): RequestHandler {
  return (req, _res, next) => {
    const allow = allowedMethods(routes, req.path);
    if (allow.length === 0) return next();
    throw methodNotAllowed(req.method, `${req.baseUrl}${req.path}`, allow);
  };
}

/**
 * The client's pages: outside the API, a path whose last part has no file extension (`/`,
 * `/overview`). The page's HTML answers them; a path with an extension is a file or nothing.
 */
export const PAGE_PATH = /^\/(?!api\/)(?:[^.]*\/)?[^/.]*$/;

/**
 * Last of all, outside the API: the client's pages are read (GET, HEAD) and nothing else, so
 * another method on one is a 405; a path nothing answers is a 404 problem, as in the API.
 */
export function pageNotFound(shell: boolean): RequestHandler {
  return (req) => {
    const page = shell ? PAGE_PATH.test(req.path) : req.path === '/';
    if (page && req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(req.method, req.path, ['GET', 'HEAD']);
    throw new NotFound(said('no_such_route', { method: req.method, path: req.path }));
  };
}

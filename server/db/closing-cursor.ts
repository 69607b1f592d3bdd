import Cursor from 'pg-cursor';

/** What a cursor sees of its connection: the events it ends with, and the socket under it. */
interface CursorConnection {
  once(event: 'end' | 'error', listener: () => void): unknown;
  off(event: 'end' | 'error', listener: () => void): unknown;
  stream?: { destroyed?: boolean };
}

/**
 * A cursor whose `close()` always settles. pg-cursor closes its portal and waits for the server's
 * ReadyForQuery; when the server has ended the connection (`pg_terminate_backend`, a failover, a
 * replica conflict) that never comes, so the close, and with it the export that read the cursor
 * and the pool connection it held, waited for ever (node-postgres issues #2642 and #2588). Here a
 * connection that ends, or has ended, settles the close: there is nothing left to close.
 */
export class ClosingCursor<Row = unknown> extends Cursor<Row> {
  override close(): Promise<void>;
  override close(callback: (err: Error) => void): undefined;
  override close(callback?: (err: Error) => void): Promise<void> | undefined {
    const connection = (this as unknown as { connection?: CursorConnection }).connection;
    const closing = new Promise<void>((resolve, reject) => {
      if (!connection) {
        super.close().then(resolve, reject);
        return;
      }
      const ended = () => {
        connection.off('end', ended);
        connection.off('error', ended);
        resolve();
      };
      connection.once('end', ended);
      connection.once('error', ended);
      if (connection.stream?.destroyed) ended();
      super.close().then(
        () => {
          connection.off('end', ended);
          connection.off('error', ended);
          resolve();
        },
        (error: unknown) => {
          connection.off('end', ended);
          connection.off('error', ended);
          reject(error);
        },
      );
    });
    if (!callback) return closing;
    closing.then(
      () => callback(undefined as unknown as Error),
      (error: Error) => callback(error),
    );
    return undefined;
  }
}

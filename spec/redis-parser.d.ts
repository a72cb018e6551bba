// redis-parser ships no types; this is the part the specs use.
declare module 'redis-parser' {
  interface ParserOptions {
    returnReply: (reply: any) => void;
    returnError: (err: Error) => void;
    returnFatalError?: (err: Error) => void;
    returnBuffers?: boolean;
    stringNumbers?: boolean;
  }
  export default class RedisParser {
    constructor(options: ParserOptions);
    execute(data: Buffer): void;
    reset(): void;
  }
}

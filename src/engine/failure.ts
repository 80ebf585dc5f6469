// A compile problem at a path inside one policy; the caller turns it into a located PolicyError.
export class CompileFailure extends Error {
  constructor(readonly path: string, message: string) {
    super(message);
    this.name = 'CompileFailure';
  }
}

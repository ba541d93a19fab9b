// What a run saw each declared object do, measured in the catalog as the statements ran (by OID:
// run/probes/catalogChanges.ts fills it in). Verification prefers it to what the files predict:
// it is what PostgreSQL really did, dynamic SQL and cascades included.
import type { Declaration } from '../parse/declarations';
import type { StatementPlace } from './expectations';

/** One declared object as the run measured it. */
export interface MeasuredObject {
  /** Its OID once its statement had run, or null when the statement did not create it (nor was it there). */
  oid: number | null;
  /** Its name when last looked at. */
  name: string;
  /** The statement after which it was gone (null: it is still there). */
  droppedBy: StatementPlace | null;
  /** The statement that last renamed it. */
  renamedBy: StatementPlace | null;
}

/** The run's measurements, per declaration (the Declaration objects of the parsed files). */
export class CatalogMeasurement {
  private readonly objects = new Map<Declaration, MeasuredObject>();
  /** True once every statement ran and the last changes were measured: only then does verification use it. */
  complete = false;

  get(declaration: Declaration): MeasuredObject | undefined {
    return this.complete ? this.objects.get(declaration) : undefined;
  }

  set(declaration: Declaration, measured: MeasuredObject): void {
    this.objects.set(declaration, measured);
  }

  /** Every measured object, for the probe that updates them. */
  entries(): IterableIterator<[Declaration, MeasuredObject]> {
    return this.objects.entries();
  }
}

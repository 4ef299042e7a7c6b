// The error the mock backend's handlers throw; installMockBackend turns it into a plain ApiError.
import type { ApiError } from "../bindings/ApiError";
import type { ErrorCode } from "../bindings/ErrorCode";
import type { FieldError } from "../bindings/FieldError";

export class MockError {
  code: ErrorCode;
  message: string;
  field: string | null;
  fields: FieldError[];
  constructor(code: ErrorCode, message: string, fields: FieldError[] = []) {
    this.code = code;
    this.message = message;
    this.field = fields[0]?.field ?? null;
    this.fields = fields;
  }
  plain(): ApiError {
    return { code: this.code, message: this.message, field: this.field, fields: this.fields };
  }
}

export function validationError(fields: FieldError[]): MockError {
  return new MockError("validation", fields[0]?.message ?? "The input is not valid.", fields);
}


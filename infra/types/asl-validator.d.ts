declare module "asl-validator" {
  export default function validator(
    definition: unknown,
    options?: Record<string, unknown>,
  ): {
    isValid: boolean;
    errors: { message?: string; path?: string }[];
    errorsText(separator?: string): string;
  };
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export type SecurityScheme = 'BearerToken' | 'OAuth2UserToken' | 'UserToken';

export interface SecurityRequirement {
  scheme: SecurityScheme;
  scopes: readonly string[];
}

export interface ScalarConstraint {
  type?: 'string' | 'integer' | 'number' | 'boolean';
  enum?: readonly string[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  format?: string;
  default?: string | number | boolean;
}

export interface ParamDescriptor extends ScalarConstraint {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  /** 'array' for comma-separated lists; then `items` holds the element constraint. */
  array?: boolean;
  items?: ScalarConstraint;
  minItems?: number;
  maxItems?: number;
  /** Present on parameters that exist only as the other name generation of a spec parameter. */
  aliasOf?: string;
}

export interface BodyDescriptor {
  required: boolean;
  contentTypes: readonly string[];
  /** Name of the schema in `schemas` (components.schemas). */
  schema?: string;
}

export interface OperationDescriptor {
  operationId: string;
  method: HttpMethod;
  path: string;
  tag: string;
  streaming: boolean;
  security: readonly SecurityRequirement[];
  params: readonly ParamDescriptor[];
  body?: BodyDescriptor;
  /** Success status → schema name (components.schemas), or null for binary responses. */
  responses: Readonly<Record<string, string | null>>;
}

export type Generation = 'classic' | 'modern';

import type { ObjectMeta } from '@kube-ts/core';
import type { JSONSchemaProps } from './json-schema.js';

/** A column of `kubectl get` output (`additionalPrinterColumns`). */
export interface PrinterColumn {
  /** Column header. */
  name: string;
  /** How the value is shown. */
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** Simple JSON path into the object, e.g. `.spec.replicas`. */
  jsonPath: string;
  /** Column description. */
  description?: string;
  /** OpenAPI format of the value (e.g. `name` for the primary column). */
  format?: string;
  /** 0 shows the column by default; higher values only in wide output (`-o wide`). */
  priority?: number;
}

/** The scale subresource: where the replica counts live. */
export interface ScaleSubresource {
  /** Path of the desired replicas, under `.spec` (e.g. `.spec.replicas`). */
  specReplicasPath: string;
  /** Path of the observed replicas, under `.status` (e.g. `.status.replicas`). */
  statusReplicasPath: string;
  /** Path of the label selector string, under `.status` (for the HorizontalPodAutoscaler). */
  labelSelectorPath?: string;
}

/** The subresources of a CRD version, in wire format. */
export interface CustomResourceSubresources {
  status?: Record<string, never>;
  scale?: ScaleSubresource;
}

/** A field that can be used in field selectors (`selectableFields`). */
export interface SelectableField {
  /** JSON path of a string, integer or boolean field, e.g. `.spec.color`. */
  jsonPath: string;
}

/** One version of a CRD, in wire format. */
export interface CustomResourceDefinitionVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema: { openAPIV3Schema: JSONSchemaProps };
  subresources?: CustomResourceSubresources;
  additionalPrinterColumns?: PrinterColumn[];
  selectableFields?: SelectableField[];
}

/** The names of a CRD, in wire format. */
export interface CustomResourceDefinitionNames {
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  shortNames?: string[];
  categories?: string[];
}

/**
 * Where the API server reaches a webhook (apiextensions.k8s.io/v1 and
 * admissionregistration.k8s.io/v1 WebhookClientConfig): a Service or a URL.
 */
export interface WebhookClientConfig {
  /** `https://host:port/path` (local development, or a webhook outside the cluster). */
  url?: string;
  /** A Service in the cluster (`port` defaults to 443). */
  service?: { namespace: string; name: string; path?: string; port?: number };
  /** Base64 of the PEM CA bundle that signed the serving certificate. */
  caBundle?: string;
}

/** The `conversion` stanza of a CRD's spec. */
export interface CustomResourceConversion {
  /** `None` relabels `apiVersion` only; `Webhook` calls a conversion webhook. */
  strategy: 'None' | 'Webhook';
  /** Required with `strategy: Webhook`. */
  webhook?: { clientConfig: WebhookClientConfig; conversionReviewVersions: string[] };
}

/** An apiextensions.k8s.io/v1 CustomResourceDefinition as kube-ts renders it. */
export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: ObjectMeta & { name: string };
  spec: {
    group: string;
    names: CustomResourceDefinitionNames;
    scope: 'Namespaced' | 'Cluster';
    versions: CustomResourceDefinitionVersion[];
    conversion?: CustomResourceConversion;
  };
}

/** What pods and nodes say about containers beyond resources: host ports and images. */

/** core/v1 ContainerPort with a hostPort: the port a pod binds on its node. */
export interface HostPort {
  /** 1…65535. */
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  /** The node address the port is bound on; "0.0.0.0" means all of them. */
  readonly hostIP: string;
}

/** core/v1 ContainerImage: one image present on a node (node.status.images), under all its names. */
export interface NodeImage {
  readonly names: readonly string[];
  readonly sizeBytes: number;
}

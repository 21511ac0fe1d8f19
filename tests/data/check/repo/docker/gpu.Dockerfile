FROM nvcr.io/nvidia/pytorch:24.01-py3@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
FROM quay.io/vessl-ai/python:3.10-r10

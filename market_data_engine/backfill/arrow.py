"""pyarrow columns as numpy arrays, read straight from their Arrow buffers.

pyarrow's own ``to_numpy`` imports pandas when it is installed, which costs a second or
more the first time: these helpers never touch it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

Array = npt.NDArray[Any]


def numbers_of(data: Any, dtype: type[np.generic]) -> Array:
    """A null-free pyarrow column as a numpy array of ``dtype`` (cast first)."""
    array = data.cast(pa.from_numpy_dtype(dtype))
    if isinstance(array, pa.ChunkedArray):
        if not array.num_chunks:
            return np.zeros(0, dtype)
        array = array.combine_chunks()
    values: Array = np.frombuffer(array.buffers()[1], dtype=dtype)
    return values[array.offset : array.offset + len(array)].copy()


def strings_of(data: Any) -> Array:
    """A null-free string column as a numpy object array (through its dictionary)."""
    encoded = pc.dictionary_encode(data.cast(pa.string()))
    if isinstance(encoded, pa.ChunkedArray):
        if not encoded.num_chunks:
            return np.zeros(0, object)
        encoded = encoded.combine_chunks()
    names = np.array(encoded.dictionary.to_pylist(), dtype=object)
    return names[numbers_of(encoded.indices, np.int64)]


def text_of(values: Array) -> Any:
    """A numpy int64 or float64 array as an Arrow string array (floats in shortest form)."""
    contiguous = np.ascontiguousarray(values)
    kind = pa.from_numpy_dtype(contiguous.dtype)
    array = pa.Array.from_buffers(kind, len(contiguous), [None, pa.py_buffer(contiguous)])
    return array.cast(pa.string())


def literal(text: str) -> Any:
    """A string as an Arrow scalar (made from buffers: ``pa.scalar`` imports pandas)."""
    data = text.encode()
    offsets = np.array([0, len(data)], dtype=np.int32)
    buffers = [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    return pa.Array.from_buffers(pa.string(), 1, buffers)[0]


def flags_of(mask: Array) -> Any:
    """A numpy boolean array as an Arrow boolean array (bit-packed)."""
    bits = np.packbits(mask.astype(bool), bitorder="little")
    return pa.Array.from_buffers(pa.bool_(), len(mask), [None, pa.py_buffer(bits)])

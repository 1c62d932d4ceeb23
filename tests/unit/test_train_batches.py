"""Length-grouped training batches: every example once per epoch, little padding, seeded."""

from __future__ import annotations

import random

import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from callqa.classify.train import length_grouped


@settings(max_examples=60, deadline=None)
@given(
    lengths=st.lists(st.integers(1, 96), min_size=1, max_size=400),
    batch_size=st.integers(1, 32),
    seed=st.integers(0, 2**16),
)
def test_every_example_once_in_batches_of_at_most_the_size(
    lengths: list[int], batch_size: int, seed: int
) -> None:
    order = torch.randperm(len(lengths), generator=torch.Generator().manual_seed(seed)).tolist()
    batches = length_grouped(order, lengths, batch_size, torch.Generator().manual_seed(seed))
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    assert all(1 <= len(b) <= batch_size for b in batches)
    assert len(batches) == -(-len(lengths) // batch_size)  # as many steps as plain batches


def test_grouping_cuts_the_padding_and_is_seeded() -> None:
    rnd = random.Random(3)
    lengths = [rnd.randint(5, 96) for _ in range(2000)]
    order = list(range(2000))
    rnd.shuffle(order)

    def padded(batches: list[list[int]]) -> int:
        return sum(max(lengths[i] for i in b) * len(b) for b in batches)

    plain = [order[i : i + 16] for i in range(0, 2000, 16)]
    grouped = length_grouped(order, lengths, 16, torch.Generator().manual_seed(1))
    assert padded(grouped) < 0.6 * padded(plain)
    again = length_grouped(order, lengths, 16, torch.Generator().manual_seed(1))
    assert grouped == again
    assert grouped != length_grouped(order, lengths, 16, torch.Generator().manual_seed(2))

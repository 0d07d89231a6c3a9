"""hashrl.train, evaluate, load_data, load_run and check_config."""
import json
import os
import subprocess
import sys

import numpy as np
import pytest
import torch

import hashrl
from conftest import synthetic


def test_evaluate_equals_the_cli(tmp_path, hashrl_binary):
    g = torch.Generator().manual_seed(0)
    files = {
        "query-codes": torch.randint(0, 2, (30, 16), generator=g, dtype=torch.uint8),
        "db-codes": torch.randint(0, 2, (200, 16), generator=g, dtype=torch.uint8),
        "query-labels": torch.randint(0, 5, (30,), generator=g),
        "db-labels": torch.randint(0, 5, (200,), generator=g),
    }
    args = []
    for flag, tensor in files.items():
        np.save(tmp_path / f"{flag}.npy", tensor.numpy())
        args += [f"--{flag}", str(tmp_path / f"{flag}.npy")]
    # The same thread count: the metrics' sums run in per-thread parts.
    cli = subprocess.run([hashrl_binary, "--threads", str(torch.get_num_threads()), "eval", *args, "--topk", "50", "--json"], check=True,
                         capture_output=True, text=True)
    ours = hashrl.evaluate(query_codes=files["query-codes"], db_codes=files["db-codes"],
                           query_labels=files["query-labels"], db_labels=files["db-labels"], topk=50)
    assert ours == json.loads(cli.stdout)


def test_evaluate_names_what_disagrees():
    codes = torch.zeros(4, 8, dtype=torch.uint8)
    labels = torch.zeros(4, dtype=torch.long)
    with pytest.raises(hashrl.Error, match="'query_codes' holds 8-bit codes but 'db_codes' holds 16-bit"):
        hashrl.evaluate(query_codes=codes, db_codes=torch.zeros(4, 16), query_labels=labels, db_labels=labels)
    with pytest.raises(hashrl.Error, match="eval.topk"):
        hashrl.evaluate(query_codes=codes, db_codes=codes, query_labels=labels, db_labels=labels, topk=-1)


def test_evaluate_takes_its_tensors_by_name_only():
    # Positional tensors could be swapped silently between this order and C++'s
    # (query codes, query labels, db codes, db labels) when the shapes fit: here they do.
    codes = torch.randint(0, 2, (4, 4), dtype=torch.uint8)
    with pytest.raises(TypeError, match="query_codes"):
        hashrl.evaluate(codes, codes, codes, codes)


def test_load_data_returns_the_protocol_split():
    data = hashrl.load_data(synthetic())
    assert data["features"].shape == (160, 16) and data["labels"].shape == (160, 4)
    assert data["query"].numel() == 20 and data["train"].numel() == 80
    assert data["query"].dtype == torch.int64
    assert set(data["query"].tolist()).isdisjoint(data["database"].tolist())


def test_a_trained_run_encodes_and_searches(tmp_path):
    run_dir = str(tmp_path / "run")
    report = hashrl.train(synthetic(**{"agent.kind": "itq"}), out=run_dir)
    run = hashrl.load_run(run_dir)
    data = hashrl.load_data(synthetic())
    queries = data["features"][data["query"]]
    codes = run.encode(queries)
    assert codes.shape == (20, 12) and codes.dtype == torch.uint8
    query_codes = torch.from_numpy(np.load(f"{run_dir}/codes/query_codes.npy"))
    assert torch.equal(codes, query_codes)
    distances, ids = run.search(codes, k=5)
    assert distances.shape == (20, 5) and ids.shape == (20, 5)
    # The nearest item of each query is at the distance an exhaustive count gives.
    brute = (codes[:, None, :] != run.db_codes[None, :, :]).sum(2)
    assert torch.equal(distances[:, 0], brute.min(1).values.int())
    assert report["metrics"]["map"] > 0.5  # four well separated clusters


def test_import_leaves_torch_threads_and_train_restores_them(tmp_path):
    # In a fresh interpreter: this one imported hashrl long ago.
    probe = ("import os, torch; torch.set_num_threads(1); import hashrl; assert torch.get_num_threads() == 1, "
             "torch.get_num_threads()")
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    subprocess.run([sys.executable, "-c", probe], check=True, env=env)
    before = torch.get_num_threads()
    hashrl.train(synthetic(**{"agent.kind": "itq"}), out=str(tmp_path / "run"), threads=2)
    assert torch.get_num_threads() == before
    with pytest.raises(hashrl.Error, match="threads"):
        hashrl.train(synthetic(), out=str(tmp_path / "bad"), threads=0)


def test_check_config_runs_every_check():
    report = hashrl.check_config(synthetic(**{"agent.kind": "drlih", "policy.hidden": 16}))
    assert report.ok, report.summary()
    assert {line.split(":")[0] for line in report.passed} == {"data", "env", "reward", "agent", "learner"}


def test_check_config_reads_a_shipped_config_as_hashrl_check_does():
    # It failed on [eval] and [optim] keys that only the trainer read (issue 40).
    report = hashrl.check_config(os.path.join(os.path.dirname(__file__), "..", "..", "configs", "noseq.ini"),
                                 {"encoder.width": 0.125, "encoder.fc_dim": 32})
    assert report.ok, report.summary()


def test_a_missing_file_is_an_oserror_and_a_hashrl_error(tmp_path):
    missing = str(tmp_path / "missing")
    for call in (lambda: hashrl.load_run(missing), lambda: hashrl.check_config(missing + ".ini"),
                 lambda: hashrl.make_env(config=missing + ".ini"), lambda: hashrl.load_plugin(missing + ".so")):
        with pytest.raises(OSError, match="missing") as caught:
            call()
        assert isinstance(caught.value, hashrl.FileError) and isinstance(caught.value, hashrl.Error)
    with pytest.raises(hashrl.Error) as caught:  # what a file holds is not a file error
        hashrl.make_env(config="[env]\ncode_length = many\n")
    assert not isinstance(caught.value, OSError)

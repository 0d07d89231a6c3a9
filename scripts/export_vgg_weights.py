#!/usr/bin/env python3
"""Export torchvision's VGG-19 / VGG-19-BN weights to a file that hashrl's C++ encoder loads.

Run it wherever torchvision and the weights are (Debian: `apt-get install python3-torchvision`,
then run with /usr/bin/python3; ImageNet weights need torchvision's download cache):

    python3 scripts/export_vgg_weights.py --arch vgg19 --weights imagenet --out vgg19.pt
    hashrl train --config configs/drlih.ini --set encoder.weights=vgg19.pt ...

The file is `torch.save` of a plain dict {name: tensor} with torchvision's state-dict names
(features.N.weight, classifier.N.bias, ...), which the C++ side checks name by name and shape by
shape before loading. `--weights none` exports a randomly initialised model (seeded), used by the
tests to prove that the C++ forward pass equals torchvision's.

--reference DIR also writes DIR/input.npy (uint8 images [2, 3, 32, 32]) and DIR/fc7.npy (the
features hashrl's encoder must produce for them in eval mode: ImageNet normalisation, fc7).
--keys FILE writes "name shape..." lines of the state dict, for the name-mapping test.
"""
import argparse

import numpy as np
import torch
import torchvision

MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]


def build(arch, weights, seed):
    torch.manual_seed(seed)
    factory = getattr(torchvision.models, arch)
    if weights == "imagenet":
        return factory(weights="DEFAULT")
    return factory(weights=None)


def fc7(model, images):
    """The features hashrl's vgg encoder outputs (output = fc7): classifier[0..4] in eval mode."""
    x = images.float() / 255.0
    x = (x - torch.tensor(MEAN).view(1, 3, 1, 1)) / torch.tensor(STD).view(1, 3, 1, 1)
    x = model.features(x)
    x = torch.nn.functional.adaptive_avg_pool2d(x, (7, 7)).flatten(1)
    return model.classifier[:5](x)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arch", choices=["vgg19", "vgg19_bn"], required=True)
    parser.add_argument("--weights", choices=["imagenet", "none"], default="imagenet")
    parser.add_argument("--seed", type=int, default=0, help="seed of --weights none")
    parser.add_argument("--out", help="weights file to write")
    parser.add_argument("--reference", help="folder for input.npy and fc7.npy")
    parser.add_argument("--keys", help="file for the state dict's names and shapes")
    args = parser.parse_args()

    model = build(args.arch, args.weights, args.seed).eval()
    state = {name: tensor.detach().clone() for name, tensor in model.state_dict().items()}
    if args.keys:
        with open(args.keys, "w") as out:
            for name, tensor in state.items():
                out.write(name + " " + " ".join(str(d) for d in tensor.shape) + "\n")
    if args.out:
        torch.save(state, args.out)
    if args.reference:
        generator = torch.Generator().manual_seed(args.seed + 1)
        images = torch.randint(0, 256, (2, 3, 32, 32), generator=generator, dtype=torch.uint8)
        with torch.no_grad():
            features = fc7(model, images)
        np.save(f"{args.reference}/input.npy", images.numpy())
        np.save(f"{args.reference}/fc7.npy", features.numpy().astype(np.float32))


if __name__ == "__main__":
    main()

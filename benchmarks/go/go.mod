module kubepki.dev/benchmarks/clusterpki

go 1.19

// Wrapper module that pins the RoadRunner server the tests and the example run.
// scripts/rr.sh builds github.com/roadrunner-server/roadrunner/v2025/cmd/rr from it into a cache
// outside the repo. `go install …@v2025.1.15` cannot be used: rr's own go.mod has `exclude` lines,
// and those are only honoured in the main module, so they are repeated here.
module roadrunner-runtime/peers/rr

go 1.26.4

require github.com/roadrunner-server/roadrunner/v2025 v2025.1.15

tool github.com/roadrunner-server/roadrunner/v2025/cmd/rr

exclude (
	github.com/olekukonko/tablewriter v1.1.1
	github.com/redis/go-redis/v9 v9.15.0
	github.com/redis/go-redis/v9 v9.15.1
	github.com/spf13/viper v1.18.0
	github.com/spf13/viper v1.18.1
	go.temporal.io/api v1.26.1
)
